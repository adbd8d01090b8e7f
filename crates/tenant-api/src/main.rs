//! Binary entry point; everything lives in the library.

/// mimalloc instead of glibc's malloc: per-thread free lists without glibc's arena locks (the
/// allocator was a third of a list request's CPU), and freed memory, such as the embedded
/// identity provider's argon2 buffers, goes back to the system instead of staying in an arena.
/// Measured in `docs/benchmarks.md`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match tenant_api::cli::run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
