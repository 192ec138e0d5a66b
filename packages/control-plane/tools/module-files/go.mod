module runway.local/tools/module-files

go 1.26.0
