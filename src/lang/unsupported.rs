//! Source code conflictguard has no grammar for, by extension: a changed file in one of these
//! languages is counted as not analysed, by language, so that a merge is never called clean about
//! code nobody read. Files that are not source code (documents, data, images) are not listed.

/// Extensions (lower case, without the dot) and the language they hold.
const LANGUAGES: &[(&str, &str)] = &[
    ("go", "Go"),
    ("rb", "Ruby"),
    ("vue", "Vue"),
    ("svelte", "Svelte"),
    ("java", "Java"),
    ("kt", "Kotlin"),
    ("kts", "Kotlin"),
    ("scala", "Scala"),
    ("groovy", "Groovy"),
    ("rs", "Rust"),
    ("c", "C"),
    ("h", "C"),
    ("cc", "C++"),
    ("cpp", "C++"),
    ("cxx", "C++"),
    ("hpp", "C++"),
    ("cs", "C#"),
    ("fs", "F#"),
    ("php", "PHP"),
    ("swift", "Swift"),
    ("m", "Objective-C"),
    ("mm", "Objective-C"),
    ("dart", "Dart"),
    ("lua", "Lua"),
    ("pl", "Perl"),
    ("pm", "Perl"),
    ("r", "R"),
    ("jl", "Julia"),
    ("ex", "Elixir"),
    ("exs", "Elixir"),
    ("erl", "Erlang"),
    ("hs", "Haskell"),
    ("clj", "Clojure"),
    ("elm", "Elm"),
    ("sh", "Shell"),
    ("bash", "Shell"),
    ("zsh", "Shell"),
    ("ps1", "PowerShell"),
    ("sql", "SQL"),
    ("coffee", "CoffeeScript"),
    ("pyx", "Cython"),
];

/// The language of a source file conflictguard cannot parse, by its extension.
pub fn language_of(path: &str) -> Option<&'static str> {
    if super::profile_for_path(path).is_some() {
        return None;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let (_, extension) = name.rsplit_once('.')?;
    let extension = extension.to_ascii_lowercase();
    LANGUAGES
        .iter()
        .find(|(known, _)| *known == extension)
        .map(|(_, language)| *language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_files_without_a_grammar_are_named_by_language() {
        assert_eq!(language_of("cmd/main.go"), Some("Go"));
        assert_eq!(language_of("App.VUE"), Some("Vue"));
        assert_eq!(language_of("README.md"), None);
        assert_eq!(language_of("Makefile"), None);
        // A supported language is never named here, whatever the table says.
        for profile in super::super::PROFILES {
            for extension in profile.extensions {
                assert_eq!(language_of(&format!("a.{extension}")), None, "{extension}");
            }
        }
    }
}
