; Calls with a string first argument, for the setting reader functions a team lists in
; `.conflictguard.toml` (`[settings] readers = ["config.get"]`): `config.get("billing.legacy_url")`
; reads the setting `billing.legacy_url`. @reader is the function as written, @key the string.
; Compiled and run only when readers are listed. Shared by JavaScript, TypeScript and TSX.
(call_expression
  function: [(identifier) (member_expression)] @reader
  arguments: (arguments . (string (string_fragment) @key)))
