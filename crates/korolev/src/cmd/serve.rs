//! `korolev serve`: the portal and the APIs over HTTP, until SIGINT or SIGTERM.

use anyhow::{Context, Result};
use korolev_web::App;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// Where the server listens unless told otherwise.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

#[derive(clap::Args)]
pub struct Args {
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, default_value = DEFAULT_BIND, value_name = "ADDR:PORT")]
    pub bind: SocketAddr,
}

pub fn run(args: Args, data_dir: &Path) -> Result<ExitCode> {
    serve(data_dir, args.bind)?;
    Ok(ExitCode::SUCCESS)
}

/// Serves the store in `data_dir` on `bind` until a signal stops it; prints the address first.
pub fn serve(data_dir: &Path, bind: SocketAddr) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(async {
        let app = Arc::new(App::open(data_dir, &korolev_facts::when::today())?);
        let listener = korolev_web::bind(bind).await?;
        let local = listener.local_addr()?;
        println!(
            "korolev: serving {} at http://{local}/ (Ctrl-C stops)",
            data_dir.display()
        );
        std::io::stdout().flush()?;
        korolev_web::serve(app, listener, korolev_web::shutdown_signal()).await?;
        eprintln!("korolev: stopped");
        Ok(())
    })
}
