"""How results are shown: chart style, notebook display, the narrative text and
the data-and-methods page."""
