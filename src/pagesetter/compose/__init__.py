"""Text composition: text + measure + fonts → lines with glyph positions.

Pure code: no PDF library in here. The stages, one per module:

- ``classes``     character classes and their default frames (data)
- ``style``       house-style settings (§0 of the rules)
- ``segment``     text → units (one glyph or one unbreakable run each), with widths
- ``prohibition`` the line-start / line-end rules: where a line may break
- ``linebreak``   choosing the breaks (first fit, push-in / push-out)
- ``justify``     fitting one line to the measure: trims, shrink, stretch
- ``paragraph``   a paragraph's lines, indent, last line, orphans
"""
