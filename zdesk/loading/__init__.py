"""A load's orchestration: what is asked of the portal and in which order, what a refusal leads
to, and what a load reports (progress, figures, hints). Builds the domain's Project; the only
layer between the domain and the portal's HTTP that knows both."""
