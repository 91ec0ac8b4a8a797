"""Follow-up outcome rates: calculations (rates), published results, the page's views and figures."""
