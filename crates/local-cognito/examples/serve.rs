//! Serves local-cognito standalone: `cargo run -p local-cognito --example serve -- [ADDR] [DATA_DIR]`
//! (defaults `127.0.0.1:9229` and `./.local-cognito`). Prints the endpoint and how long opening
//! the state took, then serves until Ctrl-C. `tenant-api idp` is the full-featured front end.

use std::time::Instant;

use local_cognito::{LocalCognito, Options};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let addr = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:9229".to_owned())
        .parse()?;
    let dir = args.next().unwrap_or_else(|| "./.local-cognito".to_owned());

    let started = Instant::now();
    let idp = LocalCognito::open(Options::persistent(&dir)).await?;
    let running = idp.start(addr).await?;
    println!("local-cognito endpoint: {}", running.base_url());
    println!(
        "state: {dir} (ready in {} ms)",
        started.elapsed().as_millis()
    );

    tokio::signal::ctrl_c().await?;
    running.shutdown().await;
    Ok(())
}
