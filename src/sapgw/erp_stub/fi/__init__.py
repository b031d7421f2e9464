"""FI: accounting documents (BKPF/BSEG) and the accounting BAPIs."""
