"""Cost-benefit: prices, the model, results and figures."""
