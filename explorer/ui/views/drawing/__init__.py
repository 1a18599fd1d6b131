"""What the views share: colours, axes' numbers, legends, cards, item pools, path thinning."""
