;; Occurrences of identifiers in JavaScript (.js .mjs .cjs .jsx), for conflictguard.
;; Capture names are read by src/lang/ (the capture vocabulary) and src/syntax/occurrences.rs. When several patterns capture the
;; same node, the Rust side keeps the most specific role (definitions before references).
;; Comments and string contents are never captured, except a module path as @import.source.

;; ---- Named scopes: functions, classes, methods, and functions bound to a variable ----
(function_declaration name: (identifier) @scope.name) @scope
(generator_function_declaration name: (identifier) @scope.name) @scope
(class_declaration name: (identifier) @scope.name) @scope
(method_definition name: (property_identifier) @scope.name) @scope
(variable_declarator
  name: (identifier) @scope.name
  value: [(arrow_function) (function_expression)]) @scope

;; ---- Imports: ES modules, with the module they come from ----
(import_statement
  (import_clause (identifier) @definition.import)
  source: (string (string_fragment) @import.source))
(import_statement
  (import_clause (named_imports (import_specifier name: (identifier) @definition.import)))
  source: (string (string_fragment) @import.source))
(import_statement
  (import_clause (named_imports (import_specifier alias: (identifier) @definition.import)))
  source: (string (string_fragment) @import.source))
(import_statement
  (import_clause (namespace_import (identifier) @definition.import))
  source: (string (string_fragment) @import.source))

;; ---- Imports: CommonJS require ----
(variable_declarator
  name: (identifier) @definition.import
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string (string_fragment) @import.source)))
  (#eq? @_require "require"))
(variable_declarator
  name: (object_pattern (shorthand_property_identifier_pattern) @definition.import)
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string (string_fragment) @import.source)))
  (#eq? @_require "require"))
(variable_declarator
  name: (object_pattern (pair_pattern value: (identifier) @definition.import))
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string (string_fragment) @import.source)))
  (#eq? @_require "require"))

;; ---- Functions and classes ----
(function_declaration name: (identifier) @definition.function)
(generator_function_declaration name: (identifier) @definition.function)
(function_expression name: (identifier) @definition.function)
(class_declaration name: (identifier) @definition.class)
(class name: (identifier) @definition.class)

;; ---- Methods and class fields (member kind) ----
(method_definition name: [(property_identifier) (private_property_identifier)] @definition.method)
(field_definition property: [(property_identifier) (private_property_identifier)] @definition.method)

;; ---- Variables and constants, destructuring included ----
(variable_declarator name: (identifier) @definition.variable)
(variable_declarator name: (array_pattern (identifier) @definition.variable))
(variable_declarator name: (object_pattern (pair_pattern value: (identifier) @definition.variable)))
(variable_declarator name: (object_pattern (pair_pattern value: (assignment_pattern left: (identifier) @definition.variable))))
(shorthand_property_identifier_pattern) @definition.variable
(rest_pattern (identifier) @definition.variable)
(for_in_statement kind: _ left: (identifier) @definition.variable)

;; ---- Parameters ----
(formal_parameters (identifier) @definition.parameter)
(formal_parameters (assignment_pattern left: (identifier) @definition.parameter))
(formal_parameters (rest_pattern (identifier) @definition.parameter))
(formal_parameters (array_pattern (identifier) @definition.parameter))
(formal_parameters (object_pattern (pair_pattern value: (identifier) @definition.parameter)))
(arrow_function parameter: (identifier) @definition.parameter)
(catch_clause parameter: (identifier) @definition.parameter)

;; ---- Exports ----
(export_specifier name: (identifier) @definition.export)
(export_specifier alias: (identifier) @definition.export)

;; ---- Object keys (member kind) ----
(pair key: (property_identifier) @definition.key)
;; A quoted key spelled as an identifier (`"_default": …`, quoted for Closure Compiler) defines the
;; same property: `obj._default` still reads it.
((pair key: (string (string_fragment) @definition.key))
  (#match? @definition.key "^[A-Za-z_$][A-Za-z0-9_$]*$"))
(pair_pattern key: (property_identifier) @reference.member)

;; ---- Assignments to a member: a.b = …, this.x = …, module.exports.f = … ----
(assignment_expression
  left: (member_expression property: [(property_identifier) (private_property_identifier)] @definition.attribute))

;; ---- Calls ----
(call_expression function: (identifier) @reference.call)
(new_expression constructor: (identifier) @reference.call)
(call_expression
  function: (member_expression property: [(property_identifier) (private_property_identifier)] @reference.member_call))

;; ---- Property access (member kind) ----
(member_expression property: [(property_identifier) (private_property_identifier)] @reference.member)

;; ---- Every other identifier is a use ----
(shorthand_property_identifier) @reference.use
(identifier) @reference.use
