module github.com/restorehub/restorehub-go

go 1.26
