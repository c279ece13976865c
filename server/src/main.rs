//! `owso`: the OWSO server and its administration commands.

fn main() -> std::process::ExitCode {
    owso_server::cli::main()
}
