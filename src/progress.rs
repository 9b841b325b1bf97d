//! A progress line on standard error for long audits: `conflictguard: audit 120/1000 merges`,
//! redrawn in place at most ten times a second and erased at the end. Shown only when standard
//! error is a terminal, so logs, pipes, CI and hooks never see it.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Audits of fewer merges finish before a progress line would help.
const MIN_TOTAL: usize = 20;
const REDRAW_EVERY: Duration = Duration::from_millis(100);

pub struct Progress<W: Write> {
    out: Option<W>,
    total: usize,
    done: usize,
    last: Option<Instant>,
    width: usize,
}

impl Progress<std::io::Stderr> {
    /// A progress line for `total` merges on standard error, when that is a terminal.
    pub fn stderr(total: usize) -> Self {
        let stderr = std::io::stderr();
        let shown = stderr.is_terminal() && std::env::var_os("TERM").is_none_or(|t| t != "dumb");
        Progress::new(shown.then_some(stderr), total)
    }
}

impl<W: Write> Progress<W> {
    /// Progress to `out`; `None`, or fewer than twenty merges, shows nothing.
    pub fn new(out: Option<W>, total: usize) -> Self {
        Progress {
            out: out.filter(|_| total >= MIN_TOTAL),
            total,
            done: 0,
            last: None,
            width: 0,
        }
    }

    /// One more merge is analysed.
    pub fn advance(&mut self) {
        self.done += 1;
        self.update(self.done);
    }

    /// `done` merges of the total are analysed.
    pub fn update(&mut self, done: usize) {
        let Some(out) = self.out.as_mut() else {
            return;
        };
        let now = Instant::now();
        let due = self
            .last
            .is_none_or(|last| now.duration_since(last) >= REDRAW_EVERY);
        if !due && done < self.total {
            return;
        }
        self.last = Some(now);
        let line = format!("conflictguard: audit {done}/{} merges", self.total);
        self.width = self.width.max(line.len());
        // A failed write to a terminal is no reason to stop the audit.
        let _ = write!(out, "\r{line:<width$}", width = self.width);
        let _ = out.flush();
    }

    /// Erases the line, leaving the terminal as it was, and gives the writer back.
    pub fn finish(mut self) -> Option<W> {
        self.erase();
        self.out.take()
    }

    fn erase(&mut self) {
        if let Some(out) = self.out.as_mut() {
            if self.last.is_some() {
                let _ = write!(out, "\r{:width$}\r", "", width = self.width);
                let _ = out.flush();
                self.last = None;
            }
        }
    }
}

impl<W: Write> Drop for Progress<W> {
    fn drop(&mut self) {
        self.erase();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_up_redraws_in_place_and_erases_itself() {
        let mut progress = Progress::new(Some(Vec::new()), 50);
        progress.update(1);
        progress.update(2); // within 100 ms of the first: not drawn
        progress.update(50); // the last: always drawn
        let out = progress.finish().expect("shown");
        let text = String::from_utf8(out).expect("utf-8");
        let line = "conflictguard: audit 50/50 merges";
        assert_eq!(
            text,
            format!(
                "\rconflictguard: audit 1/50 merges\r{line}\r{}\r",
                " ".repeat(line.len())
            )
        );
    }

    #[test]
    fn nothing_for_a_short_audit_or_without_a_terminal() {
        let mut short = Progress::new(Some(Vec::new()), 19);
        short.update(19);
        assert!(short.finish().is_none());
        let mut hidden: Progress<Vec<u8>> = Progress::new(None, 1000);
        hidden.update(1000);
        assert!(hidden.finish().is_none());
    }
}
