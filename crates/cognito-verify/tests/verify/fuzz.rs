//! Property tests standing in for a fuzzer: arbitrary input and mutated genuine tokens never
//! panic, and a mutated token is never accepted. Bounded (2,000 cases in all) so `cargo test`
//! stays fast; `PROPTEST_CASES` raises it for a longer run (see `.ci/fuzz-verifier.sh`).

use std::sync::OnceLock;

use cognito_verify::Verifier;
use proptest::prelude::*;

use crate::support::{keys, Env};

/// Cases per property: `scale` by default, or `PROPTEST_CASES` when set (the CI fuzz script
/// raises it for a longer, still bounded, run).
fn cases(scale: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(scale)
}

/// One runtime, server and verifier for every case (building them per case would dominate).
struct Fixture {
    runtime: tokio::runtime::Runtime,
    verifier: Verifier,
    token: String,
    _env: Env,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let (env, verifier) = runtime.block_on(async {
            let env = Env::start().await;
            let verifier = env.access_verifier().await;
            (env, verifier)
        });
        let token = env.access().sign(&keys()[0]);
        Fixture {
            runtime,
            verifier,
            token,
            _env: env,
        }
    })
}

fn verify(input: &str) -> Result<(), &'static str> {
    let f = fixture();
    f.runtime
        .block_on(f.verifier.verify(input))
        .map(|_| ())
        .map_err(|e| e.reason())
}

/// An edit of a token: position (as a fraction of the length) and what to do there.
#[derive(Debug, Clone)]
enum Edit {
    Replace(f64, u8),
    Insert(f64, u8),
    Delete(f64),
    Truncate(f64),
}

fn edit() -> impl Strategy<Value = Edit> {
    let byte = prop_oneof![
        prop::sample::select(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ".to_vec()
        ),
        any::<u8>().prop_map(|b| b & 0x7f),
    ];
    prop_oneof![
        (0.0..1.0, byte.clone()).prop_map(|(at, b)| Edit::Replace(at, b)),
        (0.0..1.0, byte).prop_map(|(at, b)| Edit::Insert(at, b)),
        (0.0..1.0).prop_map(Edit::Delete),
        (0.0..1.0).prop_map(Edit::Truncate),
    ]
}

fn apply(token: &str, edits: &[Edit]) -> String {
    let mut bytes = token.as_bytes().to_vec();
    for edit in edits {
        let at = |f: f64| ((bytes.len() as f64 * f) as usize).min(bytes.len().saturating_sub(1));
        match *edit {
            Edit::Replace(f, b) if !bytes.is_empty() => {
                let i = at(f);
                bytes[i] = b;
            }
            Edit::Insert(f, b) => {
                let i = at(f);
                bytes.insert(i, b);
            }
            Edit::Delete(f) if !bytes.is_empty() => {
                let i = at(f);
                bytes.remove(i);
            }
            Edit::Truncate(f) => {
                let i = at(f);
                bytes.truncate(i);
            }
            _ => {}
        }
    }
    // Every byte is ASCII, so this never fails.
    String::from_utf8(bytes).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(800), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_is_refused_without_panicking(input in any::<String>()) {
        prop_assert!(verify(&input).is_err());
    }

    #[test]
    fn mutated_genuine_tokens_are_never_accepted(edits in prop::collection::vec(edit(), 1..4)) {
        let original = &fixture().token;
        let mutated = apply(original, &edits);
        let outcome = verify(&mutated);
        prop_assert!(outcome.is_err() || &mutated == original, "accepted {mutated}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(400), ..ProptestConfig::default() })]

    #[test]
    fn three_segments_of_arbitrary_bytes_are_refused(
        header in prop::collection::vec(any::<u8>(), 0..200),
        payload in prop::collection::vec(any::<u8>(), 0..400),
        signature in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        use crate::support::b64;
        let token = format!("{}.{}.{}", b64(&header), b64(&payload), b64(&signature));
        prop_assert!(verify(&token).is_err());
    }
}

#[test]
fn the_unmutated_token_is_accepted_so_the_properties_are_not_vacuous() {
    assert_eq!(verify(&fixture().token), Ok(()));
}
