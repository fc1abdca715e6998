# Help is complete for every exported cmdlet (read back through Get-Help from the generated MAML), the
# about_ImageTools topic is found and current, and the help generator refuses cmdlets without docs.

BeforeDiscovery {
    # Discovery needs the cmdlet and parameter names to make one test per cmdlet and per parameter.
    Import-Module $env:IMAGETOOLS_MODULE -Force
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $cmdlets = foreach ($command in Get-Command -Module ImageTools -CommandType Cmdlet) {
        @{
            Name       = $command.Name
            Parameters = @($command.Parameters.Keys | Where-Object { -not $common.Contains($_) } | ForEach-Object { @{ Parameter = $_ } })
        }
    }
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    $script:common = [System.Management.Automation.Cmdlet]::CommonParameters
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll {
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
    }

    It 'comes from the MAML file, not generated from the syntax' {
        # Without MAML, Get-Help makes up help whose synopsis is the syntax and which has no description.
        $help.Synopsis | Should -Not -BeLike "$Name *"
        $help.description | Should -Not -BeNullOrEmpty
    }

    It 'has a synopsis' {
        $help.Synopsis.Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has a description' {
        (@($help.description) | ForEach-Object Text) -join ' ' | Should -Match '\w'
    }

    It 'has at least one example with code and remarks' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterThan 0
        foreach ($example in $examples) {
            $example.code | Should -Match '\w'
            (@($example.remarks) | ForEach-Object Text) -join ' ' | Should -Match '\w'
        }
    }

    It 'documents -<Parameter>' -ForEach $Parameters {
        $p = Get-Help $Name -Parameter $Parameter
        $p | Should -Not -BeNullOrEmpty
        (@($p.description) | ForEach-Object Text) -join ' ' | Should -Match '\w'
    }

    It 'documents exactly the parameters the cmdlet has' {
        $documented = @($help.parameters.parameter | ForEach-Object name) | Sort-Object
        $actual = @($command.Parameters.Keys | Where-Object { -not $common.Contains($_) }) | Sort-Object
        $documented | Should -Be $actual
    }

    It 'has one syntax item per parameter set' {
        @($help.syntax.syntaxItem).Count | Should -Be $command.ParameterSets.Count
    }

    It 'declares an [OutputType]' {
        @($command.OutputType).Count | Should -BeGreaterThan 0
        @($help.returnValues.returnValue).Count | Should -BeGreaterThan 0
    }
}

Describe 'about_ImageTools' {
    BeforeAll {
        $topicPath = Join-Path (Get-Module ImageTools).ModuleBase 'en-US/about_ImageTools.help.txt'
    }

    It 'is found by Get-Help' {
        $text = Get-Help about_ImageTools | Out-String
        $text | Should -Match 'about_ImageTools'
        $text | Should -Match 'SHORT DESCRIPTION'
    }

    It 'is shipped with the module and keeps its lines within 80 characters' {
        $topicPath | Should -Exist
        $long = @(Get-Content -LiteralPath $topicPath | Where-Object Length -gt 80)
        $long | Should -BeNullOrEmpty
    }

    It 'names every exported cmdlet' {
        $text = Get-Content -LiteralPath $topicPath -Raw
        foreach ($name in (Get-Command -Module ImageTools -CommandType Cmdlet).Name) { $text | Should -Match "\b$name\b" }
    }

    It 'lists every error id the module uses' {
        $text = Get-Content -LiteralPath $topicPath -Raw
        foreach ($id in [enum]::GetNames([ImageTools.ErrorId])) { $text | Should -Match "\b$id\b" }
    }
}

Describe 'New-ExternalHelp.ps1' {
    BeforeAll {
        $generator = Join-Path $PSScriptRoot '../../src/Help/New-ExternalHelp.ps1'
        # The pwsh running these tests: a plain pwsh, or pwsh.dll run by dotnet as a local tool.
        $pwsh = @((Get-Process -Id $PID).Path)
        if ((Split-Path -Leaf $pwsh[0]) -like 'dotnet*') { $pwsh += Join-Path $PSHOME 'pwsh.dll' }
    }

    It 'fails, naming what is missing, when the XML docs lack a synopsis, examples and parameter docs' {
        $docs = Join-Path $TestDrive 'ImageTools.xml'
        $output = Join-Path $TestDrive 'ImageTools.dll-Help.xml'
        '<?xml version="1.0"?><doc><assembly><name>ImageTools</name></assembly><members /></doc>' | Set-Content -LiteralPath $docs
        $all = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $generator,
            '-ModulePath', $env:IMAGETOOLS_MODULE, '-XmlDocPath', $docs, '-OutputPath', $output)
        $messages = & $pwsh[0] @all 2>&1 | Out-String
        $LASTEXITCODE | Should -Not -Be 0
        $messages | Should -Match 'Get-Image \(T:ImageTools\.Commands\.GetImageCommand\): no <summary>'
        $messages | Should -Match 'Get-Image .*no <example>'
        $messages | Should -Match 'Get-Image .*parameter -Path has no <summary>'
        $output | Should -Not -Exist
    }
}
