@{
    RootModule        = 'PwshFloor.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '6d3c1f0e-4b7a-4f55-9a3e-2c1b0d9e8f71'
    Description       = 'A one-cmdlet binary module: the floor of a new session''s import and first listing (benchmarks only).'
    CmdletsToExport   = @('Get-FloorItem')
    FunctionsToExport = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
