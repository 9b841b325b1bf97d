//! Where one merge's time goes, step by step, written to standard error when the environment
//! variable `CONFLICTGUARD_TIMINGS` is set (to anything): for profiling a real repository, as the
//! README's performance section does. Nothing of it reaches a report.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Whether timings are written, read from the environment once per process.
fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("CONFLICTGUARD_TIMINGS").is_some())
}

/// The steps of one merge's analysis timed so far; does nothing unless timings are enabled.
pub struct Timings {
    started: Option<Instant>,
    last: Option<Instant>,
    /// Each step with its time, and whether it is a part of another (a rule).
    steps: Vec<(&'static str, Duration, bool)>,
}

impl Timings {
    pub fn start() -> Timings {
        let now = enabled().then(Instant::now);
        Timings {
            started: now,
            last: now,
            steps: Vec::new(),
        }
    }

    /// Ends step `name`: the time since the step before ended.
    pub fn step(&mut self, name: &'static str) {
        if let Some(last) = self.last {
            let now = Instant::now();
            self.steps.push((name, now - last, false));
            self.last = Some(now);
        }
    }

    /// Adds a step timed elsewhere (a rule, inside the rules' step).
    pub fn inner(&mut self, name: &'static str, took: Duration) {
        if self.last.is_some() {
            self.steps.push((name, took, true));
        }
    }

    /// Writes the merge's line: the steps in order, in milliseconds, and the run's parses so far.
    pub fn write(&self, merge: &str, parses: usize) {
        let Some(started) = self.started else {
            return;
        };
        // A rule that took no measurable time is left out.
        let steps: Vec<String> = self
            .steps
            .iter()
            .filter(|(_, took, part)| !part || *took >= Duration::from_micros(50))
            .map(|(name, took, _)| format!("{name} {:.1}", took.as_secs_f64() * 1000.0))
            .collect();
        eprintln!(
            "conflictguard timings {merge}: {:.1} ms: {} (ms); {parses} parses in the run",
            started.elapsed().as_secs_f64() * 1000.0,
            steps.join(", ")
        );
    }
}
