"""Invariants the speed shortcuts rely on (extractors/README.md, "Speed"): if one breaks, output could change silently."""

import random

from extractors import kinds
from extractors.claims import _DB_HINT, Ctx, clean_text
from extractors.lexicon import tokenize
from extractors.sentences import split_sentences


def _texts():
    random.seed(7)
    alph = "ab A1.!? \n\t-/()%\"'$:"
    yield "We reach 84.1% top-1 on ImageNet-1k. It is 2.3x faster! Is it? Yes (see Fig. 3). Done."
    for _ in range(3000):
        yield "".join(random.choice(alph) for _ in range(random.randint(0, 60)))


def test_sentence_tokens_tile_the_abstract_tokens():
    """ASCII text: the sentences' tokens, concatenated, are exactly the abstract's tokens (joined flags included)."""
    for t in _texts():
        t = clean_text(t)
        ctx = Ctx(t, None, None, t, split_sentences(t))
        assert ctx.full_toks() == tokenize(t), t


def test_delta_before_tried_at_hints_equals_search():
    random.seed(3)
    words = ("by margin of improvements gains increase boost drop reduction saving within gap loss losses delta difference "
             "lead are is a large the about over up to ~ $ \\sim nearly nearby -loss xloss BY Margins ( ; 3.5 % and").split()
    for _ in range(20000):
        tail = " ".join(random.choice(words) for _ in range(random.randint(0, 12)))[-90:]
        old = bool(_DB_HINT.search(tail) and kinds.DELTA_BEFORE.search(tail))
        assert any(kinds.DELTA_BEFORE.match(tail, h.start()) for h in _DB_HINT.finditer(tail)) == old, tail
