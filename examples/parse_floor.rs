//! The least a parse of some files can cost: tree-sitter's parser alone, with no query and no
//! occurrence, over the files named on the command line (each in the language its name's
//! extension gives), on every core at once. `bench/perf.py` runs it over the blobs a dry run must
//! parse whatever it does cleverly (the versions of each conflicted path, whose removed names the
//! at-risk list reports), to show how far below `git merge-tree` no implementation can go.
//!
//!     cargo build --release --example parse_floor
//!     target/release/examples/parse_floor FILE...
//!
//! Prints one line: files, bytes, and the fastest of 7 runs in milliseconds, on all threads and
//! on one.

use std::time::{Duration, Instant};

use rayon::prelude::*;

fn main() {
    let mut files: Vec<(&'static tree_sitter::Language, Vec<u8>)> = Vec::new();
    for path in std::env::args().skip(1) {
        let Some(grammar) = conflictguard::lang::for_path(&path).and_then(|l| l.grammar()) else {
            eprintln!("parse_floor: {path}: not a file of a language conflictguard reads");
            std::process::exit(2);
        };
        match std::fs::read(&path) {
            Ok(text) => files.push((grammar, text)),
            Err(error) => {
                eprintln!("parse_floor: {path}: {error}");
                std::process::exit(2);
            }
        }
    }
    let parse = |(grammar, text): &(&'static tree_sitter::Language, Vec<u8>)| {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(grammar).is_ok() && parser.parse(text, None).is_some()
    };
    let fastest = |run: &dyn Fn() -> bool| -> Duration {
        (0..7)
            .map(|_| {
                let started = Instant::now();
                if !run() {
                    eprintln!("parse_floor: a file did not parse");
                    std::process::exit(2);
                }
                started.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let all_threads = fastest(&|| files.par_iter().with_max_len(1).all(parse));
    let one_thread = fastest(&|| files.iter().all(parse));
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    println!(
        "files {} bytes {} all-threads-ms {:.2} one-thread-ms {:.2}",
        files.len(),
        bytes,
        all_threads.as_secs_f64() * 1e3,
        one_thread.as_secs_f64() * 1e3
    );
}
