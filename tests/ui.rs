//! What users see when they get the macros wrong (compile_fail, with the
//! expected compiler output in the `.stderr` next to each case), and shapes
//! that must keep compiling and running (pass).
//!
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test --test ui`
//! and read every one before keeping it.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    // `#[component(...)]` arguments, the signature and its types.
    cases.compile_fail("tests/ui/component/*.rs");
    // A component runs alone in its container: what its body may use.
    cases.compile_fail("tests/ui/isolation/*.rs");
    cases.compile_fail("tests/ui/pipeline/*.rs");
    cases.compile_fail("tests/ui/outputs/*.rs");
    // Type errors when wiring tasks together.
    cases.compile_fail("tests/ui/wiring/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
