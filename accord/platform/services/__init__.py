"""Platform writes. Each service is one transaction and takes keyword-only arguments."""
