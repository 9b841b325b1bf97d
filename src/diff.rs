//! Line diffs with positions that hold: the hunks between two sequences of lines, each with its
//! range in the old sequence and in the new one.
//!
//! `similar` computes the edit script, but the index it reports on the other side of an insert or
//! a delete can be wrong (similar 2.7: an `Insert` after a crossing `Equal` names an old index
//! before that `Equal`; mitsuhiko/similar#78). Only the ops' order and lengths are used here, and
//! every position is counted from them, so a hunk's two ranges always meet the text around it.

use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{capture_diff_deadline, Algorithm, DiffOp};

/// One run of a line diff: unchanged lines, or a hunk that replaces `old` lines with `new` ones
/// (either may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub equal: bool,
    pub old: Range<usize>,
    pub new: Range<usize>,
}

/// The runs that turn `old` into `new`, in order, covering both sequences without gaps; the
/// search for a minimal diff stops after `deadline` and settles for a coarser (still exact) one.
pub fn line_runs<T: std::hash::Hash + Eq + Ord>(
    old: &[T],
    new: &[T],
    deadline: Duration,
) -> Vec<Run> {
    // Each distinct line is a number: the search compares lines many times over, and two
    // numbers compare in one step where two lines compare byte by byte. Equal lines get equal
    // numbers, so the edit script is the one the lines themselves give.
    let mut numbers: rustc_hash::FxHashMap<&T, usize> = rustc_hash::FxHashMap::default();
    let mut number = |line| {
        let next = numbers.len();
        *numbers.entry(line).or_insert(next)
    };
    let old_numbers: Vec<usize> = old.iter().map(&mut number).collect();
    let new_numbers: Vec<usize> = new.iter().map(&mut number).collect();
    let ops = capture_diff_deadline(
        Algorithm::Myers,
        &old_numbers,
        0..old_numbers.len(),
        &new_numbers,
        0..new_numbers.len(),
        Some(Instant::now() + deadline),
    );
    let (mut at_old, mut at_new) = (0, 0);
    let mut runs: Vec<Run> = Vec::with_capacity(ops.len());
    for op in ops {
        let (equal, old_len, new_len) = match op {
            DiffOp::Equal { len, .. } => (true, len, len),
            DiffOp::Delete { old_len, .. } => (false, old_len, 0),
            DiffOp::Insert { new_len, .. } => (false, 0, new_len),
            DiffOp::Replace {
                old_len, new_len, ..
            } => (false, old_len, new_len),
        };
        let old = at_old..at_old + old_len;
        let new = at_new..at_new + new_len;
        (at_old, at_new) = (old.end, new.end);
        // Adjacent changes (a delete beside an insert) are one hunk.
        match runs.last_mut() {
            Some(last) if !equal && !last.equal => {
                last.old.end = old.end;
                last.new.end = new.end;
            }
            _ => runs.push(Run { equal, old, new }),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every run's old lines equal its new lines when unchanged, and the runs tile both sides.
    fn check(old: &[&str], new: &[&str]) {
        let runs = line_runs(old, new, Duration::from_secs(1));
        let (mut at_old, mut at_new) = (0, 0);
        for run in &runs {
            assert_eq!((run.old.start, run.new.start), (at_old, at_new), "{runs:?}");
            if run.equal {
                assert_eq!(&old[run.old.clone()], &new[run.new.clone()], "{runs:?}");
            }
            (at_old, at_new) = (run.old.end, run.new.end);
        }
        assert_eq!((at_old, at_new), (old.len(), new.len()), "{runs:?}");
    }

    #[test]
    fn positions_are_counted_not_taken_from_the_ops() {
        // The shape that similar 2.7 reports with an insert's old index before the equal line it
        // follows: a line kept from the end of the old text matched to one early in the new.
        check(
            &["a", "b", "}$", "x", "y", "}"],
            &["a", "b", "}", "", "z", "}"],
        );
        check(&["1", "1", "0", "2"], &["2", "1", "0", "0", "0", "0"]);
        check(&[], &["a"]);
        check(&["a"], &[]);
        check(&["a", "b", "c"], &["c", "b", "a"]);
    }

    #[test]
    fn positions_hold_for_many_small_sequences() {
        // Every pair of sequences of up to five lines over a three-letter alphabet.
        let all: Vec<Vec<&str>> = (0..=5u32)
            .flat_map(|len| {
                (0..3u32.pow(len)).map(move |mut code| {
                    (0..len)
                        .map(|_| {
                            let letter = ["a", "b", "c"][(code % 3) as usize];
                            code /= 3;
                            letter
                        })
                        .collect()
                })
            })
            .collect();
        for old in all.iter().step_by(7) {
            for new in all.iter().step_by(5) {
                check(old, new);
            }
        }
    }
}
