;; Occurrences of identifiers in TypeScript (.ts .mts .cts, and .d.ts declarations), for
;; conflictguard. The TSX profile runs this query too, followed by grammars/tsx/occurrences.scm.
;; Capture names are read by src/lang/ (the capture vocabulary) and src/syntax/occurrences.rs. When
;; several patterns capture the same node, the role declared first in src/lang/roles.rs wins
;; (definitions before references; a type-only import before an import).
;; Comments and string contents are never captured, except a module path as @import.source and
;; the name of a `declare module '…'`.

;; ---- Named scopes: functions, classes, methods, interfaces, enums, namespaces ----
(function_declaration name: (identifier) @scope.name) @scope
(generator_function_declaration name: (identifier) @scope.name) @scope
(function_signature name: (identifier) @scope.name) @scope
(class_declaration name: (type_identifier) @scope.name) @scope
(abstract_class_declaration name: (type_identifier) @scope.name) @scope
(method_definition name: (property_identifier) @scope.name) @scope
(variable_declarator
  name: (identifier) @scope.name
  value: [(arrow_function) (function_expression)]) @scope
(interface_declaration name: (type_identifier) @scope.name) @scope
(enum_declaration name: (identifier) @scope.name) @scope
(internal_module name: [(identifier) (nested_identifier)] @scope.name) @scope
(module name: (identifier) @scope.name) @scope
;; A module name with a dot (`'*.svg'`) would read as two scopes: only dotless ones are scopes.
((module name: (string (string_fragment) @scope.name)) @scope
  (#not-match? @scope.name "[.]"))

;; ---- Type-only imports: `import type …`, `import { type X }` (type kind) ----
(import_statement
  "type"
  (import_clause (identifier) @definition.type_import)
  source: (string (string_fragment) @import.source))
(import_statement
  "type"
  (import_clause (named_imports (import_specifier name: (identifier) @definition.type_import)))
  source: (string (string_fragment) @import.source))
(import_statement
  "type"
  (import_clause (named_imports (import_specifier alias: (identifier) @definition.type_import)))
  source: (string (string_fragment) @import.source))
(import_statement
  "type"
  (import_clause (namespace_import (identifier) @definition.type_import))
  source: (string (string_fragment) @import.source))
(import_statement
  (import_clause (named_imports (import_specifier "type" name: (identifier) @definition.type_import)))
  source: (string (string_fragment) @import.source))
(import_statement
  (import_clause (named_imports (import_specifier "type" alias: (identifier) @definition.type_import)))
  source: (string (string_fragment) @import.source))

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

;; ---- Imports: `import x = require('…')`, and CommonJS require ----
(import_statement
  (import_require_clause
    (identifier) @definition.import
    source: (string (string_fragment) @import.source)))
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

;; ---- Re-exports: `export { a as b } from './x'` names `a` of another module, as an import does
;; (a new re-export of a removed name is a use of it); `b` is this module's export ----
(export_statement
  (export_clause (export_specifier name: (identifier) @definition.import))
  source: (string (string_fragment) @import.source))
(export_statement
  "type"
  (export_clause (export_specifier name: (identifier) @definition.type_import))
  source: (string (string_fragment) @import.source))
(export_statement
  (export_clause (export_specifier "type" name: (identifier) @definition.type_import))
  source: (string (string_fragment) @import.source))

;; ---- Functions (overload signatures and ambient declarations included) and classes ----
(function_declaration name: (identifier) @definition.function)
(generator_function_declaration name: (identifier) @definition.function)
(function_expression name: (identifier) @definition.function)
(function_signature name: (identifier) @definition.function)
(class_declaration name: (type_identifier) @definition.class)
(abstract_class_declaration name: (type_identifier) @definition.class)
(class name: (type_identifier) @definition.class)

;; ---- Types: interfaces and type aliases (type kind) ----
(interface_declaration name: (type_identifier) @definition.type)
(type_alias_declaration name: (type_identifier) @definition.type)

;; ---- Enums and their members (`Status.Legacy`: member kind) ----
(enum_declaration name: (identifier) @definition.enum)
(enum_body name: (property_identifier) @definition.key)
(enum_assignment name: (property_identifier) @definition.key)

;; ---- Namespaces and module declarations ----
(internal_module name: (identifier) @definition.namespace)
(internal_module name: (nested_identifier object: (identifier) @definition.namespace))
(internal_module name: (nested_identifier property: (property_identifier) @definition.attribute))
(module name: (identifier) @definition.namespace)
(module name: (string (string_fragment) @definition.namespace))

;; ---- Methods, class fields, interface members (member kind) ----
(method_definition name: [(property_identifier) (private_property_identifier)] @definition.method)
(method_signature name: [(property_identifier) (private_property_identifier)] @definition.method)
(abstract_method_signature name: [(property_identifier) (private_property_identifier)] @definition.method)
(public_field_definition name: [(property_identifier) (private_property_identifier)] @definition.method)
(property_signature name: [(property_identifier) (private_property_identifier)] @definition.method)
;; A parameter property (`constructor(private readonly legacyClient: LegacyClient)`) declares a
;; field of the class, as a field declaration does.
(required_parameter (accessibility_modifier) pattern: (identifier) @definition.method)
(required_parameter "readonly" pattern: (identifier) @definition.method)
(required_parameter (override_modifier) pattern: (identifier) @definition.method)
(optional_parameter (accessibility_modifier) pattern: (identifier) @definition.method)
(optional_parameter "readonly" pattern: (identifier) @definition.method)
(optional_parameter (override_modifier) pattern: (identifier) @definition.method)

;; ---- Variables and constants, destructuring included ----
(variable_declarator name: (identifier) @definition.variable)
(variable_declarator name: (array_pattern (identifier) @definition.variable))
(variable_declarator name: (object_pattern (pair_pattern value: (identifier) @definition.variable)))
(variable_declarator name: (object_pattern (pair_pattern value: (assignment_pattern left: (identifier) @definition.variable))))
(shorthand_property_identifier_pattern) @definition.variable
(rest_pattern (identifier) @definition.variable)
(for_in_statement kind: _ left: (identifier) @definition.variable)

;; ---- Parameters ----
(required_parameter pattern: (identifier) @definition.parameter)
(optional_parameter pattern: (identifier) @definition.parameter)
(required_parameter pattern: (rest_pattern (identifier) @definition.parameter))
(required_parameter pattern: (array_pattern (identifier) @definition.parameter))
(required_parameter pattern: (object_pattern (shorthand_property_identifier_pattern) @definition.parameter))
(required_parameter pattern: (object_pattern (pair_pattern value: (identifier) @definition.parameter)))
(optional_parameter pattern: (object_pattern (shorthand_property_identifier_pattern) @definition.parameter))
(optional_parameter pattern: (object_pattern (pair_pattern value: (identifier) @definition.parameter)))
(arrow_function parameter: (identifier) @definition.parameter)
(catch_clause parameter: (identifier) @definition.parameter)
(index_signature name: (identifier) @definition.parameter)

;; ---- Type parameters: `<T>`, `infer U`, `[K in keyof T]` (local, type kind) ----
(type_parameter name: (type_identifier) @definition.type_parameter)
(infer_type (type_identifier) @definition.type_parameter)
(mapped_type_clause name: (type_identifier) @definition.type_parameter)

;; ---- Exports; `export type { … }` exports types only ----
(export_statement "type" (export_clause (export_specifier name: (identifier) @definition.type_export)))
(export_statement "type" (export_clause (export_specifier alias: (identifier) @definition.type_export)))
(export_specifier "type" name: (identifier) @definition.type_export)
(export_specifier "type" alias: (identifier) @definition.type_export)
(export_specifier name: (identifier) @definition.export)
(export_specifier alias: (identifier) @definition.export)
(namespace_export (identifier) @definition.export)

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

;; ---- Calls (decorators `@Input()` included) ----
(call_expression function: (identifier) @reference.call)
(new_expression constructor: (identifier) @reference.call)
(call_expression
  function: (member_expression property: [(property_identifier) (private_property_identifier)] @reference.member_call))

;; ---- Property access, optional chaining and non-null assertions included (member kind) ----
(member_expression property: [(property_identifier) (private_property_identifier)] @reference.member)
;; `Status.Legacy` as a type: a member of the enum or namespace.
(nested_type_identifier name: (type_identifier) @reference.member)

;; ---- Uses of types: annotations, `implements`, `as`, `satisfies`, type arguments (type kind) ----
(type_identifier) @reference.type

;; ---- Every other identifier is a use ----
(shorthand_property_identifier) @reference.use
(identifier) @reference.use
