//! The binary: parse flags into an `Invocation`, run the command, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = conflictguard::cli::Cli::parse();
    if !cli.verbose {
        // The cause chain of an error ends in libgit2's class and code numbers: --verbose shows it.
        let _ = miette::set_hook(Box::new(|_| {
            Box::new(
                miette::MietteHandlerOpts::new()
                    .without_cause_chain()
                    .build(),
            )
        }));
    }
    let invocation = cli.into_invocation();
    // The run itself goes on a worker of the thread pool: the parallel steps of each merge (parses,
    // alignments) then start as local jobs, where from the main thread each one was handed across
    // threads and waited for — thousands of times in an audit of many small merges.
    let outcome = match rayon::ThreadPoolBuilder::new().build() {
        Ok(pool) => pool.install(|| conflictguard::run(&invocation)),
        Err(_) => conflictguard::run(&invocation),
    };
    match outcome {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => {
            let report = miette::Report::new(err);
            eprintln!("{report:?}");
            ExitCode::from(conflictguard::ExitStatus::Error.code())
        }
    }
}
