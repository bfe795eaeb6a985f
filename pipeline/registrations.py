"""Registry entries of ketluan's spaCy functions, in one place (cf. spacy/registrations.py).

Importing this module registers "ketluan.UndertheseaTokenizer.v1" in `@tokenizers`; it is what
`spacy train --code pipeline/registrations.py` would load. It registers, it never loads a model.
"""

from __future__ import annotations

from spacy.util import registry

from .nlp import create_underthesea_tokenizer

TOKENIZER_NAME = "ketluan.UndertheseaTokenizer.v1"


def register() -> None:
    """Register ketluan's functions with spaCy; calling it again does nothing."""
    if TOKENIZER_NAME not in registry.tokenizers:
        registry.tokenizers.register(TOKENIZER_NAME, func=create_underthesea_tokenizer)


register()
