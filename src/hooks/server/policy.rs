//! What decides how a push is checked, none of it from the push itself: which branches are
//! protected (`[server] protect`, read from the tips the branches have now), what the forge says
//! about the push (its options, the pusher), and how long the check may take.

use std::collections::BTreeSet;
use std::time::Duration;

use git2::Repository;

/// A push option that lets a name through, once: `git push -o conflictguard.allow=NAME[,NAME…]`.
pub const ALLOW_OPTION: &str = "conflictguard.allow=";

/// The deadline when neither `--deadline` nor `conflictguard.deadline` sets one: inside GitHub
/// Enterprise Server's five seconds for a pre-receive hook.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(4);

/// The git configuration key (of the server's repository, or its global or system configuration)
/// that sets the deadline where the hook script is not edited.
pub const DEADLINE_KEY: &str = "conflictguard.deadline";

/// Who pushed, as the forge names them, and which variable said so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pusher {
    pub name: String,
    pub variable: &'static str,
}

/// What git and the forge put in the hook's environment about the push.
#[derive(Clone, Debug, Default)]
pub struct PushEnvironment {
    /// `GIT_PUSH_OPTION_0` … `GIT_PUSH_OPTION_<n-1>`.
    pub push_options: Vec<String>,
    /// `GL_USERNAME` (GitLab), `GITHUB_USER_LOGIN` (GitHub Enterprise Server),
    /// `GITEA_PUSHER_NAME` (Gitea, Forgejo); else the account the hook runs as.
    pub pusher: Option<Pusher>,
    /// `GL_ID` or `GL_USERNAME` is set: GitLab shows lines starting `GL-HOOK-ERR: ` in its web UI.
    pub gitlab: bool,
}

/// The variables that name the pusher, most specific first.
const PUSHER_VARIABLES: [&str; 5] = [
    "GL_USERNAME",
    "GITHUB_USER_LOGIN",
    "GITEA_PUSHER_NAME",
    "USER",
    "LOGNAME",
];

impl PushEnvironment {
    /// Read from this process's environment.
    pub fn from_process() -> PushEnvironment {
        PushEnvironment::from_variables(|name| std::env::var(name).ok())
    }

    /// Read through `variable`, which returns a variable's value when it is set.
    pub fn from_variables(variable: impl Fn(&str) -> Option<String>) -> PushEnvironment {
        let count = variable("GIT_PUSH_OPTION_COUNT")
            .and_then(|count| count.trim().parse::<usize>().ok())
            .unwrap_or(0);
        let push_options = (0..count)
            .filter_map(|index| variable(&format!("GIT_PUSH_OPTION_{index}")))
            .collect();
        let pusher = PUSHER_VARIABLES.iter().find_map(|name| {
            variable(name)
                .filter(|value| !value.trim().is_empty())
                .map(|value| Pusher {
                    name: value.trim().to_string(),
                    variable: name,
                })
        });
        let set = |name: &str| variable(name).is_some_and(|value| !value.is_empty());
        PushEnvironment {
            push_options,
            pusher,
            gitlab: set("GL_ID") || set("GL_USERNAME"),
        }
    }

    /// The names the pusher lets through with `-o conflictguard.allow=NAME`.
    pub fn allowed_names(&self) -> BTreeSet<String> {
        self.push_options
            .iter()
            .filter_map(|option| option.strip_prefix(ALLOW_OPTION))
            .flat_map(|names| names.split(','))
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The pusher as the log names them: `alice (GL_USERNAME)`.
    pub fn pusher_text(&self) -> String {
        match &self.pusher {
            Some(pusher) => format!("{} ({})", pusher.name, pusher.variable),
            None => "an unnamed pusher (the forge set no pusher variable)".to_string(),
        }
    }
}

/// Whether the server accepts push options, as far as this hook can tell: options came with the
/// push, the repository's git configuration advertises them, or the forge (GitLab) always does.
pub fn push_options_enabled(repo: &Repository, environment: &PushEnvironment) -> bool {
    !environment.push_options.is_empty()
        || environment.gitlab
        || repo
            .config()
            .and_then(|config| config.get_bool("receive.advertisePushOptions"))
            .unwrap_or(false)
}

/// The branch the repository's HEAD names (the default branch of a server's bare repository).
pub fn default_branch(repo: &Repository) -> Option<String> {
    let head = repo.find_reference("HEAD").ok()?;
    let target = head.symbolic_target().ok()??;
    target.strip_prefix("refs/heads/").map(str::to_string)
}

/// Whether a `protect` entry names this ref: a branch name or glob (`main`, `release/*`), or a
/// full ref name or glob when it starts with `refs/`. `*` stands for any run of characters but
/// `/`, `**` for any run at all, `?` for one character.
pub fn protects(pattern: &str, refname: &str) -> bool {
    let subject = if pattern.starts_with("refs/") {
        refname
    } else {
        match refname.strip_prefix("refs/heads/") {
            Some(branch) => branch,
            None => return false,
        }
    };
    glob_matches(pattern.as_bytes(), subject.as_bytes())
}

fn glob_matches(pattern: &[u8], text: &[u8]) -> bool {
    match pattern {
        [] => text.is_empty(),
        [b'*', b'*', rest @ ..] => (0..=text.len()).any(|skip| glob_matches(rest, &text[skip..])),
        [b'*', rest @ ..] => {
            let run = text.iter().take_while(|byte| **byte != b'/').count();
            (0..=run).any(|skip| glob_matches(rest, &text[skip..]))
        }
        [b'?', rest @ ..] => {
            matches!(text, [first, tail @ ..] if *first != b'/' && glob_matches(rest, tail))
        }
        [literal, rest @ ..] => {
            matches!(text, [first, tail @ ..] if first == literal && glob_matches(rest, tail))
        }
    }
}

/// A duration as `--deadline` and `conflictguard.deadline` take it: a number and a unit, `ms`,
/// `s` or `m` (`4s`, `500ms`, `1.5s`).
pub fn parse_duration(text: &str) -> Result<Duration, InvalidDuration> {
    let invalid = || InvalidDuration {
        text: text.to_string(),
    };
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(invalid)?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| invalid())?;
    let seconds = match unit.trim() {
        "ms" => number / 1000.0,
        "s" => number,
        "m" => number * 60.0,
        _ => return Err(invalid()),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| invalid())
}

/// A deadline that is not a number and a unit.
#[derive(Clone, Debug, thiserror::Error)]
#[error("`{text}` is not a duration: write a number and a unit, ms, s or m (4s, 500ms)")]
pub struct InvalidDuration {
    text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protect_patterns_match_branches_and_refs() {
        assert!(protects("main", "refs/heads/main"));
        assert!(!protects("main", "refs/heads/main2"));
        assert!(!protects("main", "refs/tags/main"));
        assert!(protects("release/*", "refs/heads/release/1.2"));
        assert!(!protects("release/*", "refs/heads/release/1.2/hotfix"));
        assert!(protects("release/**", "refs/heads/release/1.2/hotfix"));
        assert!(protects("v?", "refs/heads/v2"));
        assert!(protects("refs/heads/*", "refs/heads/anything"));
        assert!(!protects("refs/heads/*", "refs/tags/v1"));
    }

    #[test]
    fn durations_take_a_unit() {
        assert_eq!(parse_duration("4s").ok(), Some(Duration::from_secs(4)));
        assert_eq!(parse_duration("1ms").ok(), Some(Duration::from_millis(1)));
        assert_eq!(
            parse_duration("1.5s").ok(),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_duration("2m").ok(), Some(Duration::from_secs(120)));
        for bad in ["4", "s", "four seconds", "-1s", "1h"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_environment_names_options_pusher_and_forge() {
        let variables = [
            ("GIT_PUSH_OPTION_COUNT", "3"),
            ("GIT_PUSH_OPTION_0", "ci.skip"),
            (
                "GIT_PUSH_OPTION_1",
                "conflictguard.allow=LEGACY_URL, OLD_KEY",
            ),
            ("GIT_PUSH_OPTION_2", "conflictguard.allow=other"),
            ("GITEA_PUSHER_NAME", "dana"),
            ("USER", "git"),
        ];
        let environment = PushEnvironment::from_variables(|name| {
            variables
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        });
        assert_eq!(
            environment.allowed_names().into_iter().collect::<Vec<_>>(),
            ["LEGACY_URL", "OLD_KEY", "other"]
        );
        assert_eq!(environment.pusher_text(), "dana (GITEA_PUSHER_NAME)");
        assert!(!environment.gitlab);
        let gitlab =
            PushEnvironment::from_variables(|name| (name == "GL_ID").then(|| "user-7".to_string()));
        assert!(gitlab.gitlab);
        assert!(gitlab.allowed_names().is_empty());
    }
}
