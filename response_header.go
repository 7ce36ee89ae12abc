package restorehub

import "net/http"

// ResponseHeader returns r.Header, or nil for a nil r. It makes *Response a
// resources.ResponseHeaderer: the iterators of lists paged by the Link
// header see each page's response only through RequestConfig.OnResponse
// and read the page's next link through this method.
func (r *Response) ResponseHeader() http.Header {
	if r == nil {
		return nil
	}
	return r.Header
}
