//! Benchmarks: (a) a raw RS256 verify with aws-lc-rs of a token's signature, (b) the full
//! `verify` with keys cached and the token cache disabled, (c) a verified-token cache hit.
//! The goal is (b)/(a) ≤ 1.15 and (c) ≤ 1 µs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_lc_rs::digest::{digest, SHA256};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    KeyPair, RsaKeyPair, RsaPublicKeyComponents, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256,
    RSA_PKCS1_SHA256,
};
use axum::routing::get;
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use cognito_verify::{PoolConfig, TokenUse, Verifier};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::json;

struct Setup {
    runtime: tokio::runtime::Runtime,
    pair: RsaKeyPair,
    token: String,
    uncached: Verifier,
    cached: Verifier,
}

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A realistic Cognito access token (about 1 KiB) and two hydrated verifiers.
fn setup() -> Setup {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let pair = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
    let public = pair.public_key();
    let jwk = json!({
        "alg": "RS256", "kty": "RSA", "use": "sig", "kid": "bench-key",
        "n": b64(public.modulus().big_endian_without_leading_zero()),
        "e": b64(public.exponent().big_endian_without_leading_zero()),
    });
    let issuer = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let document = json!({ "keys": [jwk] });
        let app = Router::new().route(
            "/pool/.well-known/jwks.json",
            get(move || {
                let document = document.clone();
                async move { Json(document) }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{addr}/pool")
    });
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = json!({
        "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "iss": issuer,
        "client_id": "3n4b5urk1ft4fl3mg5e62d9ado",
        "origin_jti": "4a7a0a94-1ab6-4a3d-9f0e-3c1a2b7c8d9e",
        "event_id": "0c6b3f0e-7d2b-4d8c-9a34-5e2f1c3b4a5d",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin items/read items/write",
        "auth_time": now,
        "exp": now + 3600,
        "iat": now,
        "jti": "9f8e7d6c-5b4a-3c2d-1e0f-a1b2c3d4e5f6",
        "username": "alice",
        "cognito:groups": ["admins", "tenant-acme"],
        "version": 2,
    });
    let input = format!(
        "{}.{}",
        b64(r#"{"kid":"bench-key","alg":"RS256"}"#),
        b64(serde_json::to_vec(&claims).unwrap())
    );
    let mut signature = vec![0; pair.public_modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        input.as_bytes(),
        &mut signature,
    )
    .unwrap();
    let token = format!("{input}.{}", b64(&signature));
    let builder = || {
        Verifier::builder()
            .pool(PoolConfig::cognito("eu-west-1", "unused").with_issuer(issuer.clone()))
            .client_ids(["3n4b5urk1ft4fl3mg5e62d9ado"])
            .token_use(TokenUse::Access)
    };
    let uncached = builder().token_cache_capacity(0).build().unwrap();
    let cached = builder().build().unwrap();
    runtime.block_on(async {
        uncached.hydrate().await.unwrap();
        cached.hydrate().await.unwrap();
        uncached.verify(&token).await.unwrap();
        cached.verify(&token).await.unwrap();
    });
    Setup {
        runtime,
        pair,
        token,
        uncached,
        cached,
    }
}

fn benches(c: &mut Criterion) {
    let s = setup();
    let (input, sig_b64) = s.token.rsplit_once('.').unwrap();
    let signature = URL_SAFE_NO_PAD.decode(sig_b64).unwrap();
    let public = s.pair.public_key();
    let parsed = RsaPublicKeyComponents {
        n: public.modulus().big_endian_without_leading_zero(),
        e: public.exponent().big_endian_without_leading_zero(),
    }
    .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
    .unwrap();
    let unparsed = UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public.as_ref().to_vec());
    println!("token length: {} bytes", s.token.len());
    interleaved(&s, &|| {
        parsed.verify_sig(input.as_bytes(), &signature).unwrap()
    });

    c.bench_function("a_raw_rs256_verify_parsed_key", |b| {
        b.iter(|| {
            parsed
                .verify_sig(black_box(input.as_bytes()), black_box(&signature))
                .unwrap()
        })
    });
    c.bench_function("a2_raw_rs256_verify_unparsed_key", |b| {
        b.iter(|| {
            unparsed
                .verify(black_box(input.as_bytes()), black_box(&signature))
                .unwrap()
        })
    });
    c.bench_function("d_sha256_of_token_sha2", |b| {
        b.iter(|| <sha2::Sha256 as sha2::Digest>::digest(black_box(s.token.as_bytes())))
    });
    c.bench_function("d_sha256_of_token_aws_lc", |b| {
        b.iter(|| digest(&SHA256, black_box(s.token.as_bytes())))
    });
    c.bench_function("b_verify_keys_cached_no_token_cache", |b| {
        b.to_async(&s.runtime)
            .iter(|| async { s.uncached.verify(black_box(&s.token)).await.unwrap() })
    });
    c.bench_function("c_verify_token_cache_hit", |b| {
        b.to_async(&s.runtime)
            .iter(|| async { s.cached.verify(black_box(&s.token)).await.unwrap() })
    });
}

/// Best-of-blocks timing with raw and full verification interleaved, so that load from other
/// processes on a shared machine hits both sides alike; prints the (b)/(a) ratio.
fn interleaved(s: &Setup, raw: &dyn Fn()) {
    const ROUNDS: u32 = 100;
    const PER_BLOCK: u32 = 200;
    const HITS_PER_BLOCK: u32 = 5_000;
    let per_op = |started: Instant, n: u32| started.elapsed().as_secs_f64() / f64::from(n);
    let (mut best_raw, mut best_full, mut best_hit) = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        for _ in 0..PER_BLOCK {
            raw();
        }
        best_raw = best_raw.min(per_op(started, PER_BLOCK));
        let started = Instant::now();
        s.runtime.block_on(async {
            for _ in 0..PER_BLOCK {
                black_box(s.uncached.verify(black_box(&s.token)).await.unwrap());
            }
        });
        best_full = best_full.min(per_op(started, PER_BLOCK));
        let started = Instant::now();
        s.runtime.block_on(async {
            for _ in 0..HITS_PER_BLOCK {
                black_box(s.cached.verify(black_box(&s.token)).await.unwrap());
            }
        });
        best_hit = best_hit.min(per_op(started, HITS_PER_BLOCK));
    }
    println!(
        "interleaved best of {ROUNDS} blocks: raw RS256 {:.2} us, full verify {:.2} us, \
         ratio {:.3}; cache hit {:.0} ns",
        best_raw * 1e6,
        best_full * 1e6,
        best_full / best_raw,
        best_hit * 1e9
    );
}

criterion_group! {
    name = verify;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(verify);
