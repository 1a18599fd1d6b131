"""The fit form's two ways of rewriting the typed loss: the suggested model for the data chosen (Suggest a model,
Ctrl+Shift+M; explorer.core.fit_suggest), and the loss given as residuals r or back as (r)^2, the landscape
unchanged. A mixin of `FitForm` (explorer.ui.panels.fit_form): it uses the form's boxes and controller."""
from __future__ import annotations

from explorer.core.fit_suggest import suggested_fit
from explorer.ui.text.fit_text import as_loss, as_residual


class LossRewrites:
    def suggest_model(self) -> bool:
        """Put the suggested loss, model and trained parameters for the chosen data in the form, and apply them."""
        data = self.data_spec()
        dataset = self._show_rows(data)
        if dataset is None:
            return False
        s = suggested_fit(dataset)
        c = self.controller
        typed = self._typed(s.loss)
        if typed is None:   # a residual fit, and a suggestion that is no square (logistic): back to a loss first
            c.training.set_fit_residual(False, as_loss(c.text))
            typed = s.loss
        self.loss.setText(typed)
        self.model.setText(s.model)
        self.trained.setText(", ".join(s.trained))
        self.columns.clear()   # the suggestion's target is its own
        done = self.controller.fit.set(data=data, loss=typed, model=s.model, trained=s.trained, merge=None,
                                       **self.columns.values())
        if done:
            self.controller.message.emit(f"Suggested {s.kind} for {data.label()}: edit it as you like "
                                         "(Ctrl+Z takes it back)")
        return done

    def _residual_toggled(self, on: bool) -> None:
        """Give the fit as residuals or as a loss: '(r)^2' in the box becomes r and back, so the landscape
        stays the same; a loss not of that form is read as r as it stands (said so)."""
        c = self.controller
        if c.fit.spec is None:
            return
        self._debounce.stop()
        text = self.loss.text().strip() or c.text
        new = (as_residual(text) or text) if on else as_loss(text)
        runs = len(c.configs)
        if not c.training.set_fit_residual(on, new):
            self._show_residual(c.fit.spec.residual)
            return
        self._show_residual(on)
        if len(c.configs) < runs:
            return   # the controller said which runs went
        if on and as_residual(text) is None:
            c.message.emit(f"'{text}' is now the residual r: the landscape is the mean of its square "
                           "(Ctrl+Z undoes)")
        else:
            c.message.emit("The fit is given as residuals r, the loss the mean of r²: Gauss–Newton and "
                           "Levenberg–Marquardt can run on it (Add optimizer)" if on else
                           "The fit is given as a per-row loss, (r)^2: the same landscape")

    def _typed(self, loss: str) -> str | None:
        """What the box holds for a suggested per-row `loss`: the loss, or its residual for a fit given as
        residuals (None when the loss is not a square)."""
        fit = self.controller.fit.spec
        return as_residual(loss) if fit is not None and fit.residual else loss
