//! Starts Portfolj: parses the command line and configuration, starts logging, runs.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "portfolj",
    about = "Styrning av kommunala IT- och digitaliseringsinvesteringar"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve,
    /// Create an administrator; the password is read from stdin or prompted for.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: Option<String>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = portfolj::Config::from_env()?;
    portfolj::telemetry::init(config.log_json);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => portfolj::serve(config).await,
        Command::CreateAdmin { email, name } => {
            portfolj::cli::create_admin(config, &email, name).await
        }
    }
}
