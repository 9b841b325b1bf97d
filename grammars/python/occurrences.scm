;; Occurrences of identifiers in Python (.py .pyi), for conflictguard.
;; Capture names are read by src/lang/ (the capture vocabulary) and src/syntax/occurrences.rs. When several patterns capture the
;; same node, the Rust side keeps the most specific role (definitions before references).
;; Comments and string contents are never captured (f-string expressions are code, and are).

;; ---- Named scopes ----
(function_definition name: (identifier) @scope.name) @scope
(class_definition name: (identifier) @scope.name) @scope

;; ---- Imports, with the module they come from ----
;; `import a.b` binds `a`; `import a.b as c` binds `c`.
(import_statement name: (dotted_name . (identifier) @definition.import) @import.source)
(import_statement name: (aliased_import name: (dotted_name) @import.source alias: (identifier) @definition.import))
;; `from m import x`, `from .m import x as y` bind `x` (the module's name) and `y`.
(import_from_statement
  module_name: (_) @import.source
  name: (dotted_name (identifier) @definition.import))
(import_from_statement
  module_name: (_) @import.source
  name: (aliased_import name: (dotted_name (identifier) @definition.import)))
(import_from_statement
  module_name: (_) @import.source
  name: (aliased_import alias: (identifier) @definition.import))
;; A module path is not a name of this file: what it spans is not an occurrence (but the binding
;; `a` of `import a.b` is).
(import_statement name: (dotted_name) @module)
(import_statement name: (aliased_import name: (dotted_name) @module))
(import_from_statement module_name: (_) @module)

;; ---- Methods: functions directly in a class body (member kind) ----
(class_definition body: (block (function_definition name: (identifier) @definition.method)))
(class_definition
  body: (block (decorated_definition definition: (function_definition name: (identifier) @definition.method))))

;; ---- Functions and classes ----
(function_definition name: (identifier) @definition.function)
(class_definition name: (identifier) @definition.class)

;; ---- Variables and constants ----
(assignment left: (identifier) @definition.variable)
(assignment left: (pattern_list (identifier) @definition.variable))
(assignment left: (tuple_pattern (identifier) @definition.variable))
(assignment left: (list_pattern (identifier) @definition.variable))
(for_statement left: (identifier) @definition.variable)
(for_statement left: (pattern_list (identifier) @definition.variable))
(for_statement left: (tuple_pattern (identifier) @definition.variable))
(for_in_clause left: (identifier) @definition.variable)
(for_in_clause left: (pattern_list (identifier) @definition.variable))
(named_expression name: (identifier) @definition.variable)
;; `with open(p) as handle`, `except E as error`: a name; `as (a, b)` or `as self.x` bind no new plain name here.
(as_pattern alias: (as_pattern_target (identifier) @definition.variable))

;; ---- Attribute assignments: self.cache = …, obj.attr = … (member kind) ----
(assignment left: (attribute attribute: (identifier) @definition.attribute))
(assignment left: (pattern_list (attribute attribute: (identifier) @definition.attribute)))

;; ---- Parameters ----
(parameters (identifier) @definition.parameter)
(lambda_parameters (identifier) @definition.parameter)
(default_parameter name: (identifier) @definition.parameter)
(typed_parameter (identifier) @definition.parameter)
(typed_default_parameter name: (identifier) @definition.parameter)
(parameters (list_splat_pattern (identifier) @definition.parameter))
(parameters (dictionary_splat_pattern (identifier) @definition.parameter))
(typed_parameter (list_splat_pattern (identifier) @definition.parameter))
(typed_parameter (dictionary_splat_pattern (identifier) @definition.parameter))
(lambda_parameters (list_splat_pattern (identifier) @definition.parameter))
(lambda_parameters (dictionary_splat_pattern (identifier) @definition.parameter))

;; ---- Keyword arguments name a parameter: member kind ----
(keyword_argument name: (identifier) @definition.key)

;; ---- Calls ----
(call function: (identifier) @reference.call)
(call function: (attribute attribute: (identifier) @reference.member_call))

;; ---- Attribute access (member kind) ----
(attribute attribute: (identifier) @reference.member)

;; ---- Every other identifier is a use ----
(identifier) @reference.use

; Reads of environment variables by name (CG008 and the settings rules): `os.environ["X"]`,
; `os.environ.get("X")`, `os.getenv("X")`, and `getenv("X")` after `from os import getenv`. The
; name is the variable's, in the settings space. A bare `environ[...]` is not one: WSGI code names
; the request's environ dict so (`environ.get("HTTP_RANGE")` in werkzeug).
(subscript
  value: (attribute
    object: (identifier) @_os
    attribute: (identifier) @_environ)
  subscript: (string (string_content) @reference.env)
  (#eq? @_os "os")
  (#eq? @_environ "environ"))

(call
  function: (attribute
    object: (attribute
      object: (identifier) @_os
      attribute: (identifier) @_environ)
    attribute: (identifier) @_get)
  arguments: (argument_list . (string (string_content) @reference.env))
  (#eq? @_os "os")
  (#eq? @_environ "environ")
  (#any-of? @_get "get" "pop" "setdefault"))

(call
  function: (attribute
    object: (identifier) @_os
    attribute: (identifier) @_getenv)
  arguments: (argument_list . (string (string_content) @reference.env))
  (#eq? @_os "os")
  (#eq? @_getenv "getenv"))

(call
  function: (identifier) @_getenv
  arguments: (argument_list . (string (string_content) @reference.env))
  (#eq? @_getenv "getenv"))
