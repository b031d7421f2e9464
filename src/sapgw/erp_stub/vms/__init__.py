"""VMS (IS-A-VMS, package ISAUTO_VLC): vehicles, their actions and history, and CRMV/CRMS to CRM."""
