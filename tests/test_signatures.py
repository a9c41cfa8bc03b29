import numpy as np
from datasketch import MinHash

from dedup.settings import Settings
from dedup.signatures import jaccard, shingle_values, signature, to_minhash
from dedup.text import tokenize

TEXT_A = " ".join(f"word{i}" for i in range(300))
TEXT_B = " ".join(f"word{i}" for i in range(100, 400))


def test_signature_is_what_datasketch_computes_from_the_same_values():
    s = Settings(num_perm=64, seed=7)
    tokens = tokenize(TEXT_A)
    reference = MinHash(num_perm=64, seed=7, hashfunc=lambda v: v)
    reference.update_batch(shingle_values(tokens, s).tolist())
    assert np.array_equal(signature(tokens, s), reference.hashvalues)
    assert to_minhash(signature(tokens, s), s).jaccard(reference) == 1.0


def test_estimated_jaccard_is_close_to_the_true_one():
    s = Settings(num_perm=256)
    ta, tb = tokenize(TEXT_A), tokenize(TEXT_B)
    va, vb = set(shingle_values(ta, s).tolist()), set(shingle_values(tb, s).tolist())
    true = len(va & vb) / len(va | vb)
    assert abs(jaccard(signature(ta, s), signature(tb, s)) - true) < 0.1
