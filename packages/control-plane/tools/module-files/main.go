// Command module-files prints files of a Go module at an exact version, fetched through the Go module proxy:
//
//	go run . <module>@<version> <path in module>...
//
// It reads them from the module's zip in the module cache (`go mod download -json`), so it also works for a
// module whose go directive names a newer Go than the one running (the go command then refuses to extract
// it). The files are printed in the order given, each as YAML documents separated by `---`.
package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

func main() {
	if len(os.Args) < 3 || !strings.Contains(os.Args[1], "@") {
		fmt.Fprintln(os.Stderr, "usage: module-files <module>@<version> <path in module>...")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "module-files:", err)
		os.Exit(1)
	}
}

func run(moduleVersion string, paths []string) error {
	out, err := exec.Command("go", "mod", "download", "-json", moduleVersion).Output()
	var info struct{ Zip, Error string }
	if jsonErr := json.Unmarshal(out, &info); jsonErr != nil || info.Zip == "" {
		return fmt.Errorf("go mod download %s: %v %s", moduleVersion, err, info.Error)
	}
	archive, err := zip.OpenReader(info.Zip)
	if err != nil {
		return err
	}
	defer archive.Close()
	files := map[string]*zip.File{}
	for _, f := range archive.File {
		files[f.Name] = f
	}
	for i, path := range paths {
		f, ok := files[moduleVersion+"/"+path]
		if !ok {
			return fmt.Errorf("%s has no file %s", moduleVersion, path)
		}
		r, err := f.Open()
		if err != nil {
			return err
		}
		if i > 0 {
			fmt.Println("---")
		}
		_, err = io.Copy(os.Stdout, r)
		r.Close()
		if err != nil {
			return err
		}
		fmt.Println()
	}
	return nil
}
