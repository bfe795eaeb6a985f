"""Vietnamese text helpers every stage may use; they import no stage, only records and config.

`orthography` (syllables, tone placement, fold, bare, is_upper, regex alternations), `legacy`
(TCVN3/VNI detection and decoding), `canonical` (one line to its normalized form, tone keys),
`markup` (Markdown emphasis), and the date and period helpers.
"""
