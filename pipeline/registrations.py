"""Registry entries of ketluan's spaCy functions, in one place (cf. spacy/registrations.py).

Importing this module registers "ketluan.UndertheseaTokenizer.v1" in `@tokenizers` (the factory
and `register` live in `nlp`, which this module imports and nothing imports back); it is what
`spacy train --code pipeline/registrations.py` would load. It registers, it never loads a model.
"""

from __future__ import annotations

from .nlp import TOKENIZER_NAME, register

__all__ = ["TOKENIZER_NAME", "register"]

register()
