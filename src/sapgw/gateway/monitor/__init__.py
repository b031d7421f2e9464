"""SMW01/SMQ1/SMQ2-like views as queries; the REST API, the CLI and the pages render them."""
