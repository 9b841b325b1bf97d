//! conflictguard reads a merge — base, both parents, result — and reports every identifier that one
//! side deliberately removed and the merge brings back.
//!
//! The layers, each importing only those below it (a test checks that the top-level modules form
//! no cycle):
//! 1. [`cli`] → [`commands`]: the flags, and one thin file per command;
//! 2. [`analysis`]: the pipeline of one merge, as named steps (select → load → parse → detect →
//!    dedup → suppress → provenance), and [`report`]: one reporter per output format;
//! 3. [`rules`]: one file per rule, each reading a [`merge::MergeContext`];
//! 4. [`merge`]: the merge as rules see it (files across base, parents and result, alignments,
//!    loaded blobs), over [`config`] (settings) and [`git`] (scenarios, changes, history);
//! 5. [`syntax`]: parses and occurrences, over [`lang`] (one profile per language);
//! 6. [`finding`]: what a finding holds, known to every layer above, and [`diff`]: line diffs
//!    whose positions hold.

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diff;
pub mod error;
pub mod finding;
pub mod git;
pub mod hooks;
pub mod lang;
pub mod merge;
pub mod progress;
pub mod report;
pub mod rules;
pub mod syntax;

pub use commands::{run, ExitStatus};
