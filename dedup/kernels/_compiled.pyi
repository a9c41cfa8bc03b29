# Signatures of the compiled kernels: the same as dedup.kernels.reference.
import numpy as np

Anchor = tuple[int, int, int]

def words(
    codes: np.ndarray, cls_table: np.ndarray, fold_at: np.ndarray, fold_codes: np.ndarray,
    powers: np.ndarray, length_mix: np.uint64,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]: ...
def quotations(codes: np.ndarray, text_starts: np.ndarray) -> list[tuple[int, int]]: ...
def sentences(
    codes: np.ndarray, kinds: np.ndarray, starts: np.ndarray, ends: np.ndarray, text_starts: np.ndarray,
    look: int, stop: int, closes: int,
) -> np.ndarray: ...
def winnow(
    hashes: np.ndarray, bounds: np.ndarray, n: int, w: int, prime: np.uint64, first_doc: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...
def anchors(a: np.ndarray, b: np.ndarray, k: int, max_repeats: int, prime: np.uint64) -> np.ndarray: ...
def chains(runs: np.ndarray, max_gap: int) -> list[list[Anchor]]: ...
def near_seed(
    words_a: np.ndarray, spans_a: np.ndarray, seeds_a: np.ndarray,
    words_b: np.ndarray, spans_b: np.ndarray, seeds_b: np.ndarray,
    reach: int, shingle: int, max_gap: int, k: int, min_words: int,
) -> np.ndarray: ...
def extend(
    chain: np.ndarray, at_a: np.ndarray, stems_a: np.ndarray, quoted_a: np.ndarray,
    at_b: np.ndarray, stems_b: np.ndarray, quoted_b: np.ndarray,
    reach: int, near: bool, near_words: int, gap_matches: int, extend_score: float, slack: int,
) -> list[Anchor]: ...
def furniture(marked: np.ndarray, flags: np.ndarray, closes: int, reach: int) -> np.ndarray: ...
def sentence_edges(
    hashes_a: np.ndarray, flags_a: np.ndarray, hashes_b: np.ndarray, flags_b: np.ndarray,
    a_lo: int, a0: int, a1: int, a_hi: int, b_lo: int, b0: int, b1: int, b_hi: int,
    reach: int, max_gap: int, closes: int,
) -> tuple[Anchor | None, Anchor | None]: ...
