"""Outbound notification channels: signed JSON webhook, WeCom (企业微信) and DingTalk (钉钉)
group robots, e-mail over SMTP with STARTTLS (docs/monitoring.md)."""
