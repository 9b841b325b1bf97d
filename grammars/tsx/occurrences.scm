;; Occurrences of identifiers in TSX (.tsx), for conflictguard: what JSX adds to TypeScript. The
;; TSX profile's query is grammars/typescript/occurrences.scm followed by this file (the TypeScript
;; grammar has no JSX nodes, so these patterns cannot live there). A component element
;; (`<LegacyBanner />`, `<Layout.Main>`) is a use of its name through the TypeScript query's
;; catch-all patterns; here, its attributes are the props it passes.

;; ---- Props: `<LegacyBanner legacyMode title={t} />` (member kind, as `props.legacyMode`) ----
(jsx_attribute (property_identifier) @reference.member)
