"""What every layer uses: errors, paths, configuration, translation, number
formatting, the disclosure rule, statistics, provenance and safe text/files."""
