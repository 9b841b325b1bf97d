; Calls with a string first argument, for the setting reader functions a team lists in
; `.conflictguard.toml` (`[settings] readers = ["settings.value"]`): `settings.value("billing.url")`
; reads the setting `billing.url`. @reader is the function as written, @key the string. Compiled
; and run only when readers are listed.
(call
  function: [(identifier) (attribute)] @reader
  arguments: (argument_list . (string (string_content) @key)))
