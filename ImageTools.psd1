@{
    RootModule           = 'ImageTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '4f0c7a53-8f5e-4b8a-9c63-2d7e6a1b9e10'
    Author               = 'ImageTools developers'
    CompanyName          = 'ImageTools'
    Copyright            = '(c) ImageTools developers. MIT licence.'
    Description          = 'Read, verify and pack container images where they sit on disk: OCI layouts and archives, docker save archives, registry storage, containerd and Docker data roots.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('ImageTools.format.ps1xml')
    CmdletsToExport      = @(
        'Get-Image'
        'Get-ImageIndex'
        'Get-ImageManifest'
        'Get-ImageReferrer'
        'Get-ImageConfig'
        'Get-ImageLayer'
        'Test-ImageBlob'
        'Get-ContentDigest'
        'Save-Image'
        'Copy-Image'
        'Get-DockerImage'
        'Get-DockerLayer'
        'Get-DockerContainer'
        'Get-OverlayDirectory'
        'Get-ContainerChange'
        'Find-DockerOrphan'
        'Get-ContainerdNamespace'
        'Get-ContainerdContent'
        'Get-ContainerdImage'
        'Get-ContainerdSnapshot'
        'Get-ContainerdContainer'
        'Get-ContainerdLease'
        'Get-ContainerdSandbox'
        'Get-RegistryRepository'
        'Get-RegistryTag'
        'Find-RegistryGarbage'
        'Remove-RegistryGarbage'
        'Remove-RegistryImage'
        'Get-ImageLayerEntry'
        'Get-ImageFileSystem'
        'Expand-Image'
        'Measure-Image'
        'Compare-Image'
        'Get-ImageReference'
        'Get-ImageStore'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('container', 'oci', 'docker', 'registry', 'containerd', 'image')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
