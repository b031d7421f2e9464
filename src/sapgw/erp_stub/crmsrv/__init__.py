"""CRM Service integration with Controlling (package IAOM_CRMSERVICE): seed 001."""
