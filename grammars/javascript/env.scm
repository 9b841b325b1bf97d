; Reads of environment variables by name (CG008 and the settings rules): `process.env.X`,
; `process.env["X"]`, `import.meta.env.X`. The name is the variable's, in the settings space.
; Appended to the JavaScript, TypeScript and TSX queries (the node kinds are the same in each).
(member_expression
  object: (member_expression
    object: (identifier) @_process
    property: (property_identifier) @_env)
  property: (property_identifier) @reference.env
  (#eq? @_process "process")
  (#eq? @_env "env"))

(subscript_expression
  object: (member_expression
    object: (identifier) @_process
    property: (property_identifier) @_env)
  index: (string (string_fragment) @reference.env)
  (#eq? @_process "process")
  (#eq? @_env "env"))

(member_expression
  object: (member_expression
    object: (meta_property)
    property: (property_identifier) @_env)
  property: (property_identifier) @reference.env
  (#eq? @_env "env"))
