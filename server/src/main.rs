//! `owso`: the OWSO server and its administration commands.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    owso_server::cli::main()
}
