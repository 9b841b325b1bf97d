//! The binary: parse flags into a `Config`, run the library, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = conflictguard::cli::Cli::parse();
    let config = cli.into_config();
    match conflictguard::run(&config) {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => {
            let report = miette::Report::new(err);
            eprintln!("{report:?}");
            ExitCode::from(conflictguard::ExitStatus::Error.code())
        }
    }
}
