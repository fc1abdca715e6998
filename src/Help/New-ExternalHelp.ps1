param([string] $ModulePath, [string] $XmlDocPath, [string] $OutputPath)
# Placeholder: replaced by the real generator.
'<?xml version="1.0" encoding="utf-8"?><helpItems schema="maml" />' | Set-Content -Path $OutputPath
