fn main() -> std::process::ExitCode {
    edge_audit::app::main()
}
