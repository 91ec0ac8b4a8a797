"""Follow-up outcome rates: calculations (rates), published results and figures."""
