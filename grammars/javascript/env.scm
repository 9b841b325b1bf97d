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

; `const { X } = process.env`, `const { X: x } = process.env`, and the same from
; `import.meta.env`: the key reads `X` (the variable it binds is code's, captured apart).
(variable_declarator
  name: (object_pattern
    [
      (shorthand_property_identifier_pattern) @reference.env
      (pair_pattern
        key: (property_identifier) @reference.env)
    ])
  value: (member_expression
    object: [
      (identifier) @_process
      (meta_property) @_process
    ]
    property: (property_identifier) @_env)
  (#match? @_process "^(process|import\\.meta)$")
  (#eq? @_env "env"))
